/// A notification the controller sends when a push or rollback reaches a moment people care
/// about (`notify:` in the recipe or an environment): a command that reads the run's summary as
/// JSON on its standard input, or a URL that receives it as an HTTP POST. Notifications never
/// change a run's result: a failing or slow one is reported as a warning.
public struct NotifyHook: Hashable, Sendable, Codable {
    /// The moments a hook may be sent at.
    public enum Event: String, Hashable, Sendable, Codable, CaseIterable {
        /// A push or rollback began (its recipe loaded, before any host is touched).
        case started
        /// It ended with exit status 0 (a push of what was already current included).
        case succeeded
        /// It failed in any other way than the ones below (exit 1, 2, 4 or 5).
        case failed
        /// A push whose switched hosts were switched back, or a `deployer rollback` that succeeded.
        case rolledBack = "rolled_back"
        /// Another run holds the lock (exit 3).
        case lockHeld = "lock_held"
    }

    /// Where the notification goes.
    public enum Target: Hashable, Sendable, Codable {
        /// A shell command run on the controller (`/bin/sh -c`, in deployer's working directory);
        /// the summary JSON on its standard input.
        case command(Template)
        /// An HTTP(S) URL that receives the summary JSON as a POST (sent with curl).
        case url(Template)
    }

    public var events: Set<Event>
    public var target: Target
    /// The longest the notification may take; past it, it is stopped and reported as a warning.
    public var timeoutSeconds: Double
    /// Where the hook is written, for messages.
    public var location: SourceLocation?

    public init(events: Set<Event> = Set(Event.allCases), target: Target, timeoutSeconds: Double = 10,
                location: SourceLocation? = nil) {
        self.events = events; self.target = target; self.timeoutSeconds = timeoutSeconds; self.location = location
    }
}
