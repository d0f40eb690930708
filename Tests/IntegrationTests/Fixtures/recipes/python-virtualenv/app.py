"""Prints the greeting of the package the release's virtualenv holds."""
import deployer_fixture_greeting

print(deployer_fixture_greeting.hello())
