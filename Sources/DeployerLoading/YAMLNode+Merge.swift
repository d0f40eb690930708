/// How a recipe pulled in with `use:` combines with the file that uses it
/// (documented in docs/recipe-reference.md, "Combining recipes"):
/// mappings merge key by key, recursively, the using file winning; any other
/// value (scalar or list) is replaced as a whole; a `~` (null) value in the
/// using file removes the key.
extension YAMLNode {
    /// `self` (the base, e.g. a built-in recipe) overridden by `over`.
    func merged(under over: YAMLNode) -> YAMLNode {
        guard let basePairs = pairs, let overPairs = over.pairs else { return over }
        var result = basePairs
        for pair in overPairs {
            let name = pair.key.scalar
            if let index = result.firstIndex(where: { name != nil && $0.key.scalar == name }) {
                if pair.value.isNull {
                    result.remove(at: index)
                } else {
                    result[index] = Pair(key: pair.key, value: result[index].value.merged(under: pair.value))
                }
            } else {
                result.append(pair)
            }
        }
        return YAMLNode(kind: .mapping(result), location: over.location)
    }
}
