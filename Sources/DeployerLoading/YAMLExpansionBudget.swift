import DeployerModel

/// What a YAML document may expand to once its aliases are followed, spent
/// node by node while the composer converts Yams' tree.
///
/// Yams resolves an alias to the node it names, so a small file can stand for
/// a huge tree (a "billion laughs" document) or for one long anchored string
/// repeated many times: the text is shared while parsing, but every later
/// stage (templates, fingerprints, scripts) copies it. Both are bounded here:
/// the nodes of the expanded tree, and the bytes of scalars reached through
/// an alias (a node met a second time, recognised by its position).
struct YAMLExpansionBudget {
    /// Nodes after aliases are expanded.
    static let maximumNodes = 1_000_000
    /// Bytes of scalar text reached through aliases (a node's own first
    /// occurrence is not counted: the file's size bounds that).
    static let maximumAliasedBytes = 16 << 20

    private(set) var nodesLeft = Self.maximumNodes
    private(set) var aliasedBytesLeft = Self.maximumAliasedBytes
    /// Where the aliased-bytes limit was crossed: the anchored value that was repeated too often.
    private(set) var overflowingAnchor: SourceLocation?
    /// Line and column of every scalar met so far, packed in one integer.
    private var seenScalars = Set<Int>()

    /// Whether the budget is spent: conversion stops and the document is refused.
    var isExhausted: Bool { nodesLeft < 0 || aliasedBytesLeft < 0 }

    /// Counts one node; false once the budget is spent.
    mutating func spendNode() -> Bool {
        nodesLeft -= 1
        return !isExhausted
    }

    /// Counts a scalar of `bytes` bytes at `location`; its bytes count only when it was met
    /// before (it is reached through an alias). False once the budget is spent.
    mutating func spendScalar(bytes: Int, at location: SourceLocation) -> Bool {
        guard !seenScalars.insert(location.line << 32 | location.column).inserted else { return !isExhausted }
        aliasedBytesLeft -= bytes
        if aliasedBytesLeft < 0, overflowingAnchor == nil { overflowingAnchor = location }
        return !isExhausted
    }
}
