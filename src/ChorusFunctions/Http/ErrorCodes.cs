namespace ChorusFunctions.Http;

/// <summary>The stable <c>code</c> values of problem details: clients branch on these, never on the French text.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string MalformedJson = "malformed_json";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string PayloadTooLarge = "payload_too_large";
    public const string EmailTaken = "email_taken";
    public const string SignupNotFound = "signup_not_found";
    public const string SignupExpired = "signup_expired";
    public const string StepOutOfOrder = "step_out_of_order";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string LinkInvalid = "activation_link_invalid";
    public const string JoinRequestLinkInvalid = "join_request_link_invalid";
    public const string JoinRequestsExhausted = "join_requests_exhausted";
    public const string ContactVerificationLinkInvalid = "contact_verification_link_invalid";
    public const string NotFound = "not_found";
    public const string InternalError = "internal_error";

    // Abuse controls.
    public const string RateLimited = "rate_limited";
    public const string ActivationLocked = "activation_locked";
    public const string ProofOfWorkInvalid = "proof_of_work_invalid";
    public const string ProofOfWorkExpired = "proof_of_work_expired";

    /// <summary>Every code with its meaning, for documentation and the contract test.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        [ValidationFailed] = "One or more fields are invalid; see errors.",
        [MalformedJson] = "The body is not well-formed JSON of the expected shape.",
        [UnsupportedMediaType] = "The body must be application/json.",
        [PayloadTooLarge] = "The body is larger than the limit.",
        [EmailTaken] = "The login email belongs to an account or to a signup in progress.",
        [SignupNotFound] = "No signup has this id.",
        [SignupExpired] = "The signup expired or was cancelled.",
        [StepOutOfOrder] = "This step does not follow from the signup's current step.",
        [IdempotencyKeyReused] = "The Idempotency-Key was used for another request, or for a signup past its first step.",
        [LinkInvalid] = "The activation link is unknown, expired, replaced or already used.",
        [JoinRequestLinkInvalid] = "The joining-request link is unknown or expired, or the request was already decided or lapsed (see requestStatus).",
        [ContactVerificationLinkInvalid] = "The contact-address verification link is unknown, expired or replaced by a newer one.",
        [JoinRequestsExhausted] = "The account already filed the most joining requests allowed for this structure (Structures__MaxJoinRequests).",
        [NotFound] = "No resource at this address.",
        [InternalError] = "An unexpected error; nothing was lost, retry later.",
        [RateLimited] = "Too many requests of this kind from this client, for this email, identifier, signup or link; retry after Retry-After seconds.",
        [ActivationLocked] = "Too many failed activation attempts on this signup, or too many unknown links from this client; locked until Retry-After seconds have passed.",
        [ProofOfWorkInvalid] = "Step 1 has no proof of work, or one that is malformed, not solved or not issued by this service; solve a new one (GET /api/proof-of-work).",
        [ProofOfWorkExpired] = "Step 1's proof of work expired or was already used by another request; solve a new one (GET /api/proof-of-work).",
    };
}
