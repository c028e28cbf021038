/** Every error code the app produces. */
export type ErrorCode =
    /** A required setting (provider URL, client id or secret) is empty. */
    | 'not_configured'
    /** A setting holds something that is not a usable value (URL, path, scope). */
    | 'invalid_setting'
    /** The Apps-Engine refused the request (the networking permission is missing). */
    | 'network_not_permitted'
    /** Connection refused, DNS failure, TLS error… */
    | 'provider_unreachable'
    /** No answer within the bounded timeout. */
    | 'provider_timeout'
    /** The provider answered something that is not the JSON we expect (HTML, garbage). */
    | 'provider_bad_response'
    /** The provider answered an RFC 6749 error (`error`, `error_description`). */
    | 'provider_oauth_error'
    /** The provider answered an unexpected HTTP status without an OAuth error body. */
    | 'provider_http_error'
    /** The access token was rejected (HTTP 401). */
    | 'token_rejected'
    /** The refresh token is no longer valid: the user must log in again. */
    | 'session_expired'
    /** The user has no HRM link. */
    | 'not_linked'
    /** The token lacks the scope an endpoint needs (the HRM directory needs `hrm`). */
    | 'insufficient_scope'
    /** The provider rate-limited the request. */
    | 'rate_limited';
