/// `maintenance: { on: CMD, off: CMD }`: how the app is put into maintenance mode and taken out
/// of it, run in `deploy_to` on every host. Without it, deployer creates and removes the flag
/// file `shared/maintenance.on`, which the built-in recipes' app servers honour (503 with a page).
public struct MaintenanceCommands: Hashable, Sendable, Codable {
    public var on: Template
    public var off: Template
    public var location: SourceLocation?

    public init(on: Template, off: Template, location: SourceLocation? = nil) {
        self.on = on; self.off = off; self.location = location
    }
}
