"""Prints the greeting of the C extension the release's virtualenv holds."""
import fastgreet

print(fastgreet.greet())
