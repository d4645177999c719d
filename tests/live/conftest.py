"""The session's virtual sound card, the user's voice, and an in-process daemon on them.

Live tests must run on a real, real-time audio path or not at all: if the rig cannot start
(PipeWire or PortAudio missing), every test that needs it fails with the reason; it never skips,
because a skipped audio suite looks green in CI.

The in-process daemon exists for the tests that must reach inside: stall a thread, press a
gpiozero MockFactory button, heat up a temperature file.
"""

from __future__ import annotations

import dataclasses
import os
import random
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from gpiozero.pins.mock import MockFactory

from tests.live.talk import say, wait_until
from tests.rig.daemon import parse_notice
from tests.rig.harness import MicFeed, SpeakerTap
from tests.rig.room import Range, RoomSettings, draw_room
from tests.rig.vaudio import RigError, VirtualAudio
from voicebox.conductor.conversation import Conversation
from voicebox.conductor.pipeline import Engines
from voicebox.conductor.timeline import Timeline
from voicebox.config import Config
from voicebox.daemon.recorder import TurnRecorder
from voicebox.daemon.service import Daemon
from voicebox.engines import load_chat, load_stt
from voicebox.events import TurnEvent
from voicebox.models.store import ModelStore
from voicebox.ops.sdnotify import Notifier
from voicebox.speech.tts import TextToSpeech


@pytest.fixture(scope="session")
def vaudio() -> Iterator[VirtualAudio]:
    """A started ``VirtualAudio`` whose env is applied to this process and PortAudio."""
    rig = VirtualAudio()
    with pytest.MonkeyPatch.context() as env:
        for name, value in rig.env.items():  # restored when the session ends
            env.setenv(name, value)
        problem = None
        try:
            rig.start()
            rig.apply_env()
        except (RigError, OSError) as exc:  # OSError: no PortAudio library
            rig.stop()
            problem = f"the virtual sound card did not start: {exc}"
        if problem:  # outside the except block: the reason once, not a chained traceback
            pytest.fail(problem, pytrace=False)
        try:
            yield rig
        finally:
            rig.stop()


class EchoRoom:
    """The rig's echo room with randomly chosen settings, reproducible from a printed seed."""

    def __init__(self, vaudio: VirtualAudio, seed: int) -> None:
        self.vaudio = vaudio
        self.random = random.Random(seed)

    def on(self, **parts: Range) -> RoomSettings:
        """Echo through a room: each ``RoomSettings`` field fixed or drawn from a range."""
        settings = draw_room(parts, self.random)
        self.vaudio.echo_on(settings)
        print(f"echo room: {settings.describe()}")
        return settings


@pytest.fixture
def room(vaudio: VirtualAudio, request: pytest.FixtureRequest) -> Iterator[EchoRoom]:
    """Random echo rooms: the seed is VOICEBOX_TEST_SEED or a fresh one, printed (a failing
    test shows its captured output) so that a failure can be replayed. The room is gone
    after the test, whichever fixtures it used."""
    seed = int(os.environ.get("VOICEBOX_TEST_SEED") or random.SystemRandom().randrange(2**32))
    print(f"echo room seed: VOICEBOX_TEST_SEED={seed} ({request.node.name})")
    yield EchoRoom(vaudio, seed)
    vaudio.echo_off()


@pytest.fixture(scope="module")
def voice(engines: Engines) -> TextToSpeech:
    """The user's voice: the same every time, a little slower (see tests/conftest.py)."""
    return engines.tts.steady()


@pytest.fixture
def rig(vaudio: VirtualAudio) -> Iterator[tuple[MicFeed, SpeakerTap]]:
    feed, tap = MicFeed(), SpeakerTap()
    feed.start()
    tap.start()
    yield feed, tap
    feed.stop()
    tap.stop()
    vaudio.echo_off()


class RecordingRecorder(TurnRecorder):
    """The daemon's own recorder, also keeping a timeline the test can wait on."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timeline = Timeline()

    def __call__(self, event: TurnEvent) -> None:
        super().__call__(event)
        self.timeline(event)


@pytest.fixture
def notify(tmp_path: Path) -> Iterator[tuple[socket.socket, list[dict[str, str]]]]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.settimeout(0.1)
    received: list[dict[str, str]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                data = sock.recv(4096)
            except TimeoutError:
                continue
            received.append(parse_notice(data))

    reader = threading.Thread(target=read, name="test-notify", daemon=True)
    reader.start()
    yield sock, received
    stop.set()
    reader.join(2)
    sock.close()


@pytest.fixture
def daemon_config(config: Config, tmp_path: Path, mock_pins: MockFactory) -> Config:
    """Virtual devices, a button and LED on mock pins, a 1 s stall limit, and a timers file
    of the test's own (a timer left running by another test must not ring in this one)."""
    temperature = tmp_path / "temp"
    temperature.write_text("45000\n")
    return dataclasses.replace(
        config,
        audio=dataclasses.replace(config.audio, input_device="vmic", output_device="vspk"),
        llm=dataclasses.replace(config.llm, max_tokens=60),
        http=dataclasses.replace(config.http, port=0),
        gpio=dataclasses.replace(config.gpio, button_pin="GPIO17", led_pin="GPIO27"),
        skills=dataclasses.replace(config.skills, timers_file=tmp_path / "timers.json"),
        watchdog=dataclasses.replace(config.watchdog, temperature_path=temperature,
                                     interval_s=0.5, stall_s=1.0, dwell_s=1.0))


@pytest.fixture
def daemon(engines: Engines, daemon_config: Config, vaudio, notify,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Daemon]:
    monkeypatch.setenv("WATCHDOG_USEC", "400000")
    sock, _ = notify
    box = Daemon(daemon_config, Notifier(sock.getsockname()))
    box.recorder = RecordingRecorder(box.metrics)
    # The daemon owns (and, when the watchdog swaps models, closes) its chat and speech
    # models: give it its own rather than the session's shared ones.
    store = ModelStore.from_config(daemon_config.models)
    chat, _name = load_chat(daemon_config, store, "standard")
    stt, _name = load_stt(daemon_config, store, "standard")
    box.start(dataclasses.replace(engines, chat=chat, stt=stt))
    server = threading.Thread(target=box.serve, name="test-daemon-serve", daemon=True)
    server.start()
    wait_until(lambda: box.conversation.audio_status[0] == "ok", 10, "the audio opened")
    yield box
    box.stop_requested.set()
    server.join(5)
    assert box.shutdown(), "a thread did not stop"


STORYTELLER = "You are a storyteller. Tell long stories of many sentences."


@pytest.fixture(scope="module")
def live_config(config: Config) -> Config:
    audio = dataclasses.replace(config.audio, input_device="vmic", output_device="vspk")
    llm = dataclasses.replace(config.llm, system_prompt=STORYTELLER, max_tokens=100,
                              max_sentences=50, max_words=1000)
    return dataclasses.replace(config, audio=audio, llm=llm)


@pytest.fixture
def conversation(engines: Engines, live_config: Config, timeline: Timeline,
                 vaudio: VirtualAudio) -> Iterator[Conversation]:
    live = Conversation(engines, live_config, timeline)
    live.start()
    wait_until(lambda: live.audio_status[0] == "ok", 10, "the audio devices opened")
    yield live
    assert live.stop(), "a thread did not stop"


@dataclass
class User:
    """The person at the box: talks into the virtual microphone in the test voice."""

    feed: MicFeed
    voice: TextToSpeech

    def say(self, text: str) -> float:
        """Say ``text``; returns when its first sample was written."""
        return say(self.feed, self.voice, text)


@pytest.fixture
def user(rig: tuple[MicFeed, SpeakerTap], voice: TextToSpeech) -> User:
    return User(rig[0], voice)
