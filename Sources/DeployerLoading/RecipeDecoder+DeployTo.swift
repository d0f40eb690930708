extension RecipeDecoder {
    /// Why `path` cannot be a `deploy_to`, or nil when it can.
    ///
    /// Absolute, not the root (deployer would make `/releases`, `/current` and prune under `/`),
    /// no `..` segment (the directory a host reaches must be the one the recipe names: checks of
    /// its owner and mode would otherwise be made on one directory and writes land in another),
    /// no `{{ }}` (it is no template: `/srv/{{ app }}` would make a directory of that name),
    /// and no control character (a newline would split every script line the path is in, and
    /// would print as something else than it is).
    /// The first `{{ … }}` in `text`, a field that is not a template: it would be taken literally.
    static func templatePlaceholder(in text: String) -> Substring? {
        guard let open = text.range(of: "{{") else { return nil }
        let close = text[open.upperBound...].range(of: "}}")?.upperBound ?? text.endIndex
        return text[open.lowerBound..<close]
    }

    static func deployToProblem(_ path: String) -> String? {
        let shown = path.escapingControlCharacters
        if path.containsControlCharacter {
            return "'deploy_to' must not contain a newline or other control character, found '\(shown)'"
        }
        guard path.hasPrefix("/") else { return "'deploy_to' must be an absolute path, found '\(shown)'" }
        if let placeholder = templatePlaceholder(in: path) {
            return "'deploy_to' is not a template, found '\(shown)': hosts would get a directory named '\(placeholder)'; "
                + "write the directory itself"
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        if segments.contains("..") {
            return "'deploy_to' must not contain '..' segments, found '\(shown)'; write the directory it means"
        }
        if segments.allSatisfy({ $0 == "." }) {
            return "'deploy_to' must not be the root directory, found '\(shown)'; use a directory of its own such as /srv/APP"
        }
        return nil
    }
}
