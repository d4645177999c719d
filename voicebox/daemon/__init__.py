"""The appliance daemon: ``voicebox run`` under systemd, with its health socket and button."""
