extension ECSSClient {
    /// When a call tries again after a failure: never (``noRetry``, the default), or up to
    /// ``maxRetries`` more times with jittered exponential backoff (``jitter(maxRetries:base:cap:)``),
    /// and only after a failure in which no byte of the request left the client.
    ///
    /// Only these failures are retried: the connection was refused, connecting timed out, the
    /// server's name could not be resolved, the TLS handshake failed, or no connection came from
    /// the pool in time. A reset, a timeout once the request was written, or any answer (a 503
    /// included: it was received) is never retried, whatever the command: none of the family is
    /// idempotent, and a resent `call_consult` or transfer is a second real action on a live call.
    /// A failed login is retried under the same rule.
    ///
    /// Every attempt, its login and every wait lie inside the call's one deadline
    /// (``Configuration/timeout``): a retry whose wait would end after it is not made, and the call
    /// fails at once with the last attempt's error. Cancelling the calling task ends a wait at once.
    ///
    /// The wait before retry *k* (*k* = 1, 2, …) is uniformly random between ½·*d* and *d*, where
    /// *d* = min(``cap``, ``base``·2^(*k*−1)): with the defaults (0.5 s, 8 s), 0.25–0.5 s, then
    /// 0.5–1 s, 1–2 s, 2–4 s, 4–8 s, 4–8 s, …
    public struct RetryPolicy: Sendable, Hashable, CustomStringConvertible {
        /// How many more attempts a call may make after its first; 0 for none.
        public var maxRetries: Int
        /// The longest wait before the first retry; each later one may be twice as long, up to
        /// ``cap``. Default 0.5 seconds.
        public var base: Duration
        /// The longest wait before any retry. Default 8 seconds.
        public var cap: Duration

        /// No retries: every failure is final (the default).
        public static let noRetry = RetryPolicy(maxRetries: 0, base: .milliseconds(500), cap: .seconds(8))

        /// Up to `maxRetries` more attempts after failures in which nothing was sent, waiting a
        /// random time between ½·*d* and *d* before retry *k*, *d* = min(`cap`, `base`·2^(*k*−1)).
        /// - Parameters:
        ///   - maxRetries: How many more attempts a call may make (0 or more).
        ///   - base: The longest wait before the first retry; default 0.5 seconds.
        ///   - cap: The longest wait before any retry; default 8 seconds.
        public static func jitter(maxRetries: Int, base: Duration = .milliseconds(500), cap: Duration = .seconds(8))
            -> RetryPolicy
        {
            RetryPolicy(maxRetries: maxRetries, base: base, cap: cap)
        }

        /// Creates a policy; see ``jitter(maxRetries:base:cap:)``.
        public init(maxRetries: Int, base: Duration, cap: Duration) {
            self.maxRetries = maxRetries
            self.base = base
            self.cap = cap
        }

        /// `no retry`, or `up to N retries, base B, cap C`.
        public var description: String {
            maxRetries == 0 ? "no retry" : "up to \(maxRetries) retries, base \(base), cap \(cap)"
        }

        /// The longest wait before retry `retry` (1 for the first): min(``cap``, ``base``·2^(retry−1)),
        /// without overflow.
        func longestWait(beforeRetry retry: Int) -> Duration {
            var wait = base
            for _ in 1..<max(retry, 1) {
                if wait >= cap { break }
                wait = wait * 2
            }
            return min(wait, cap)
        }

        /// The wait before retry `retry` (1 for the first): uniformly random between half the
        /// longest wait and the longest wait, in nanoseconds. `random` gives a number in `0...1`.
        func wait(beforeRetry retry: Int, random: () -> Double = { Double.random(in: 0...1) }) -> Duration {
            let longest = Double(ECSSClient.nanoseconds(longestWait(beforeRetry: retry)))
            let nanoseconds = longest / 2 + longest / 2 * min(max(random(), 0), 1)
            return .nanoseconds(Int64(nanoseconds.rounded()))
        }

        /// The reason the policy cannot be used, or `nil`.
        var problem: String? {
            if maxRetries < 0 { return "retryPolicy.maxRetries is negative (\(maxRetries))" }
            if maxRetries > 0, base <= .zero { return "retryPolicy.base is not positive" }
            if maxRetries > 0, cap < base { return "retryPolicy.cap is shorter than retryPolicy.base" }
            return nil
        }
    }
}
