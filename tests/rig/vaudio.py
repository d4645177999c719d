"""A private PipeWire sound server with four virtual devices, for tests of the real audio path.

Why: the CI machines have no sound card, no kernel ALSA (so no snd-aloop) and no systemd, yet the
daemon's capture and playback must be tested through real PortAudio streams running in real time.
A private PipeWire (with WirePlumber and pipewire-pulse) in a temporary directory provides null
sinks that are clocked by the system timer, and the ALSA ``pulse`` plugin turns them into named
ALSA devices that PortAudio lists. PipeWire rather than PulseAudio: audio flows 0.3-0.5 s after
start (PulseAudio: ~2.3 s) and its idle null sinks need no keep-alive reader. The echo room is
the harness's own pump (``echo.py``), not the server's loopback module. WirePlumber exits
without a D-Bus session bus, hence a private dbus-daemon. ``kill_server`` is the hard vanish:
running PortAudio streams end within ~20 ms (a blocking read raises PortAudioError) and after
re-initialising PortAudio the devices are gone until ``restart``.

Devices (ALSA PCMs of type pulse, written to ``<root>/asoundrc``):

* ``vmic`` / ``vspk``: what the program under test opens (microphone, speaker);
* ``vmicfeed``: the harness plays here and the program hears it on ``vmic``;
* ``vspkmon``: the harness records here what the program played on ``vspk``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.rig.echo import RoomEcho, room_echo
from tests.rig.plumbing import asoundrc, read_count
from tests.rig.room import RoomSettings

RATE = 48000
ALSA_CONF = "/usr/share/alsa/alsa.conf"
SERVERS = ("pipewire", "wireplumber", "pipewire-pulse")
TOOLS = ("dbus-daemon", *SERVERS, "pactl", "parec", "pacat")
SETUP_HINT = ("run scripts/setup-dev (Debian packages pipewire pipewire-bin pipewire-pulse "
              "wireplumber dbus pulseaudio-utils libasound2-plugins libportaudio2)")

DEVICE_MODULES = (  # the sound server's side of the same devices
    ("module-null-sink", "sink_name=vspk", "sink_properties=device.description=VirtualSpeaker"),
    ("module-null-sink", "sink_name=vmicfeed",
     "sink_properties=device.description=VirtualMicFeed"),
    ("module-remap-source", "source_name=vmic", "master=vmicfeed.monitor",
     "source_properties=device.description=VirtualMic"),
)
WIREPLUMBER_LUA = {  # loaded after the packaged 50-*.lua settings
    # Only the virtual devices: never open this machine's sound cards (on a Pi that would take
    # them from the user's session), cameras or Bluetooth. Nothing is remembered between
    # streams (one stream's volume must not come back on another).
    "main.lua.d": ("alsa_monitor.enabled = false\nv4l2_monitor.enabled = false\n"
                   "libcamera_monitor.enabled = false\n"
                   'stream_defaults.properties["restore-props"] = false\n'
                   'stream_defaults.properties["restore-target"] = false\n'),
    "bluetooth.lua.d": "bluez_monitor.enabled = false\n",
}
PIPEWIRE_CONF = (  # pipewire.conf.d: one graph period, whoever connects
    # Left free, the graph's period follows the smallest latency any stream asks for: each
    # client that came or went (the harness's 10 ms tap, a PortAudio stream) changed it and
    # every buffer in the echo path with it, and the echo moved by up to ~100 ms at a time.
    "context.properties = {\n    default.clock.quantum = 1024\n"
    "    default.clock.min-quantum = 1024\n    default.clock.max-quantum = 1024\n}\n")
# The servers die with this process even if it is SIGKILLed (as long as the thread that started
# them lives: the kernel ties the signal to the forking thread).
DEATH_SIGNAL = ["setpriv", "--pdeathsig", "TERM", "--"] if shutil.which("setpriv") else []


class RigError(RuntimeError):
    """The virtual sound card could not be started or driven."""


class VirtualAudio:
    """Owns the private sound server: its processes, its directory and its devices."""

    def __init__(self, base_dir: str | None = None, rate: int = RATE) -> None:
        self.rate = rate
        self.root = Path(tempfile.mkdtemp(prefix="vaudio-", dir=base_dir))
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._echo: RoomEcho | None = None
        self.ready_seconds: float | None = None
        """How long the last start or restart took until audio flowed."""

    def __enter__(self) -> VirtualAudio:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def env(self) -> dict[str, str]:
        """What a client process needs to see the devices (set before PortAudio initialises)."""
        run = self.root / "run"
        return {
            "ALSA_CONFIG_PATH": f"{ALSA_CONF}:{self.root / 'asoundrc'}",
            "PULSE_SERVER": f"unix:{run / 'pulse' / 'native'}",
            "PULSE_CLIENTCONFIG": str(self.root / "client.conf"),
            "PIPEWIRE_RUNTIME_DIR": str(run),
        }

    def client_env(self) -> dict[str, str]:
        """This process's environment plus ``env``: for pactl/pacat/parec and child programs."""
        return {**os.environ, **self.env}

    def apply_env(self) -> None:
        """Put ``env`` into os.environ and re-initialise PortAudio, which only reads the ALSA
        configuration and enumerates devices in Pa_Initialize. Close all streams first."""
        os.environ.update(self.env)
        import sounddevice as sd

        while sd._initialized:  # Pa_Initialize is reference counted
            sd._terminate()
        sd._initialize()

    def start(self, timeout: float = 15.0) -> float:
        """Start the server and devices; return the seconds until audio really flowed."""
        if self._procs:
            raise RigError("the virtual sound card is already running")
        missing = [tool for tool in TOOLS if shutil.which(tool) is None]
        if missing or not Path(ALSA_CONF).is_file():
            absent = ", ".join(missing) or ALSA_CONF
            raise RigError(f"cannot start: {absent} not found; {SETUP_HINT}")
        return self.restart(timeout)

    def stop(self) -> None:
        """Stop every process this rig started and remove its directory. Idempotent, and safe
        from atexit or a finalizer."""
        self._terminate_all()
        atexit.unregister(self.stop)
        shutil.rmtree(self.root, ignore_errors=True)

    def restart(self, timeout: float = 15.0) -> float:
        """A fresh server with the same devices at the same paths (``env`` stays valid); return
        the seconds until audio flowed. Clients re-initialise PortAudio and reopen by name.
        On failure nothing is left running."""
        began = time.monotonic()
        self._terminate_all()
        try:
            self._launch(began + timeout)
            self.wait_ready(timeout - (time.monotonic() - began))
        except BaseException:
            self._terminate_all()
            raise
        self.ready_seconds = time.monotonic() - began
        return self.ready_seconds

    def kill_server(self) -> None:
        """SIGKILL the sound server: every device vanishes, like an unplugged card."""
        victims = [self._procs.pop(name) for name in SERVERS if name in self._procs]
        for proc in victims:
            proc.kill()
        for proc in victims:
            proc.wait(5)
        self.echo_off()

    def alive(self) -> bool:
        """Whether every server process is running."""
        return all(name in self._procs and self._procs[name].poll() is None for name in SERVERS)

    def wait_ready(self, timeout: float = 15.0) -> None:
        """Return once 0.1 s of audio can be read from vmic and from vspk.monitor: a server that
        answers pactl may still not be clocking its sinks."""
        deadline = time.monotonic() + timeout
        for source in ("vmic", "vspk.monitor"):
            self._wait_for(lambda s=source: self._probe(s, deadline),
                           f"audio flowing from {source}", deadline)

    def echo_on(self, settings: RoomSettings) -> None:
        """The "room": vspk's output mixed into vmic through a ``Room``. The total delay is
        the room's plus the pump's own ~75 ms plus the program's stream buffers; measure it."""
        if self._echo is not None:
            raise RigError("echo is already on")
        self._echo = room_echo(settings, self.client_env())

    def echo_off(self) -> None:
        """Remove the room; does nothing when echo is off."""
        echo, self._echo = self._echo, None
        if echo is not None:
            echo.stop()

    def pactl(self, *args: str) -> str:
        """Run pactl against this server; its output, or RigError with its complaint."""
        try:
            done = subprocess.run(["pactl", *args], env=self.client_env(), capture_output=True,
                                  text=True, timeout=10, check=False)
        except subprocess.TimeoutExpired:
            raise RigError(f"pactl {' '.join(args)} hung") from None
        if done.returncode:
            raise RigError(f"pactl {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def _write_config(self) -> None:
        for sub in ("log", "home", "state"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        for where, lua in WIREPLUMBER_LUA.items():
            (self.root / "config/wireplumber" / where).mkdir(parents=True, exist_ok=True)
            (self.root / "config/wireplumber" / where / "51-vaudio.lua").write_text(lua)
        conf_d = self.root / "config/pipewire/pipewire.conf.d"
        conf_d.mkdir(parents=True, exist_ok=True)
        (conf_d / "51-vaudio.conf").write_text(PIPEWIRE_CONF)
        (self.root / "client.conf").write_text("autospawn = no\n")
        (self.root / "asoundrc").write_text(asoundrc())

    def _server_env(self) -> dict[str, str]:
        foreign = ("PULSE_", "PIPEWIRE_", "DBUS_", "XDG_", "ALSA_", "WIREPLUMBER_", "SPA_")
        env = {k: v for k, v in os.environ.items() if not k.startswith(foreign)}
        run = str(self.root / "run")
        return {**env, "XDG_RUNTIME_DIR": run, "PIPEWIRE_RUNTIME_DIR": run,
                "XDG_STATE_HOME": str(self.root / "state"), "HOME": str(self.root / "home"),
                "XDG_CONFIG_HOME": str(self.root / "config"),
                "DBUS_SESSION_BUS_ADDRESS": f"unix:path={run}/bus"}

    def _launch(self, deadline: float) -> None:
        atexit.unregister(self.stop)
        atexit.register(self.stop)
        run = self.root / "run"
        for stale in (run, self.root / "state"):  # old sockets would look like new ones
            shutil.rmtree(stale, ignore_errors=True)
        self._write_config()
        run.mkdir(mode=0o700)
        self._spawn("dbus-daemon", "--session", f"--address=unix:path={run}/bus", "--nofork",
                    "--nopidfile")
        self._wait_for((run / "bus").is_socket, "the D-Bus socket", deadline)
        self._spawn("pipewire")
        self._wait_for((run / "pipewire-0").is_socket, "the PipeWire socket", deadline)
        self._spawn("wireplumber")
        self._spawn("pipewire-pulse")
        self._wait_for(lambda: self._pactl_ok("info"), "pipewire-pulse", deadline)
        for module, *args in DEVICE_MODULES:
            self.pactl("load-module", module, *args, f"rate={self.rate}", "channels=1",
                       "channel_map=mono")
        for kind, name in (("sink", "vspk"), ("source", "vmic")):  # needs WirePlumber up
            self._wait_for(lambda k=kind, n=name: self._pactl_ok(f"set-default-{k}", n),
                           f"the default {kind}", deadline)

    def _spawn(self, name: str, *args: str) -> None:
        with (self.root / "log" / f"{name}.log").open("ab") as log:
            self._procs[name] = subprocess.Popen(
                [*DEATH_SIGNAL, name, *args], stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, env=self._server_env(), start_new_session=True)

    def _terminate_all(self) -> None:
        procs = list(self._procs.values())[::-1]
        self._procs.clear()
        self.echo_off()
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    def _wait_for(self, check: Callable[[], bool], what: str, deadline: float) -> None:
        while not check():
            dead = [name for name, proc in self._procs.items() if proc.poll() is not None]
            if dead or time.monotonic() > deadline:
                why = f"{', '.join(dead)} exited" if dead else "timed out"
                raise RigError(f"waiting for {what}: {why}\n{self._log_tails()}")
            time.sleep(0.02)

    def _log_tails(self) -> str:
        tails = []
        for log in sorted((self.root / "log").glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-8:]
            tails.append(f"--- {log.name}\n" + "\n".join(lines))
        return "\n".join(tails)

    def _pactl_ok(self, *args: str) -> bool:
        try:
            self.pactl(*args)
        except RigError:
            return False
        return True

    def _probe(self, source: str, until: float) -> bool:
        need = self.rate // 10 * 2  # 0.1 s of s16le mono
        cmd = ["parec", "--raw", "-d", source, "--format=s16le", f"--rate={self.rate}",
               "--channels=1", "--latency-msec=20"]
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              env=self.client_env()) as proc:
            assert proc.stdout is not None
            got = read_count(proc.stdout.fileno(), need, min(until, time.monotonic() + 5))
            proc.kill()
        return got >= need
