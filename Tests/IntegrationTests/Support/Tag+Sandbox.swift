import Testing

extension Tag {
    /// Tests that start sshd sandbox hosts on 127.0.0.1: the slow tier, which
    /// `Scripts/test --unit` leaves out (`--skip .sandbox`).
    @Tag static var sandbox: Self
}
