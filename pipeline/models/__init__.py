"""The generation models the app knows and where their weights live on this machine."""
