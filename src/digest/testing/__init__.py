"""Test tooling shipped with the package: tiny random-weight models of every supported family, loadable by path."""
