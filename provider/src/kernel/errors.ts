// Errors are values: a stable code, a human message, and the HTTP status they map to.
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** RFC 6749 §5.2 / RFC 7009 / RFC 7662 error: rendered as {error, error_description}. */
export class OAuthError extends AppError {
  /** `detail`: the private reason, for logs only (e.g. which part of client authentication failed). */
  constructor(code: OAuthErrorCode, description: string, status?: number, readonly detail?: string) {
    super(code, description, status ?? defaultStatus(code));
  }

  /** What the log line says: the private detail when there is one. */
  get reason(): string {
    return this.detail ?? this.message;
  }
  toJSON() {
    return { error: this.code, error_description: this.message };
  }
}

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'invalid_token'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'slow_down'
  | 'authorization_pending'
  | 'expired_token';

function defaultStatus(code: OAuthErrorCode): number {
  switch (code) {
    case 'invalid_client':
    case 'invalid_token':
      return 401;
    case 'access_denied':
      return 403;
    case 'server_error':
      return 500;
    case 'temporarily_unavailable':
      return 503;
    case 'slow_down':
      return 429;
    default:
      return 400;
  }
}
