/** Errors as values: every fallible operation returns a Result whose error has a code and one sentence. */
import { ErrorCode } from './errorCodes';

export interface AppError {
    readonly code: ErrorCode;
    /** One user-facing sentence. Never contains a token, a secret or a raw provider body. */
    readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

export function ok<T>(value: T): Result<T> {
    return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
    return { ok: false, error: { code, message } };
}

export function failWith<T = never>(error: AppError): Result<T> {
    return { ok: false, error };
}
