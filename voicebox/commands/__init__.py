"""The subcommands of the voicebox command line."""
