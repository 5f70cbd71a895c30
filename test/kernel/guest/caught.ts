/** Errors as the guest programs report them: the class name and the numbers it carries. */
import { IoctlError, UapiRuntimeError } from '@uapi-ts/runtime';
import type { CaughtError } from './report.js';

export function caught(e: unknown): CaughtError {
  if (e instanceof IoctlError) {
    const request = typeof e.request === 'string' ? e.request : `0x${e.request.toString(16)}`;
    return { name: e.name, message: e.message, request, errno: e.errno, code: e.code };
  }
  if (e instanceof UapiRuntimeError) {
    const offset = (e as { offset?: unknown }).offset;
    return { name: e.name, message: e.message, ...(typeof offset === 'number' ? { offset } : {}) };
  }
  return { name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) };
}
