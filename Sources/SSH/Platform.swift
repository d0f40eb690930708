// deployer is Linux-only (glibc): see Package.swift. Say so at once rather than with a page of
// missing-symbol errors from the event loop.
#if !os(Linux)
#error("deployer builds on Linux with glibc only: the SSH event loop uses eventfd, TCP_QUICKACK and POLLRDHUP")
#endif
