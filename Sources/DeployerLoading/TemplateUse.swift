import DeployerModel

/// A template found while decoding, with the node it came from, kept so that
/// the validator can check its variables against every environment and point
/// inside the string.
struct TemplateUse: Sendable {
    var template: Template
    var node: YAMLNode
    /// True inside `envs.*.build`, the only place `{{ env_dir }}` exists.
    var allowsEnvDir: Bool
    /// True in a `notify:` entry, where of the built-in names only `app` and `env` exist.
    var inNotification = false
}
