"""Policy as code: the provider's privacy program as one checked, compiled YAML file."""
