"""Command line: python -m tests.simulator --port 0 --state-dir DIR --ready-file FILE [--faz-profile 7.6] ...

Runs until SIGTERM or SIGINT, then stops cleanly and removes its ready file.
"""

import argparse
import json
import os
import signal
import sys
import threading

from .common import atomic_write
from .server import Simulator


def parse_args(argv):
    """The command line options."""
    parser = argparse.ArgumentParser(prog="python -m tests.simulator",
                                     description="FortiAnalyzer and GravityZone simulator on 127.0.0.1 (HTTPS).")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default)")
    parser.add_argument("--state-dir", default=os.path.join(".tmp", "sim"),
                        help="where the CA and server certificate are kept (default .tmp/sim)")
    parser.add_argument("--ready-file", help="JSON file written once listening (pid, port, ca_path, URLs)")
    parser.add_argument("--faz-shape", choices=("seed", "real"), default="seed",
                        help="FortiAnalyzer FortiView response shape at start (default seed)")
    parser.add_argument("--faz-profile", choices=("seed", "7.4", "7.6", "8.0", "old", "7.2", "7.6.7"), default="seed",
                        help="FortiAnalyzer firmware profile (default seed: the seed documents' shapes)")
    parser.add_argument("--gz-profile", choices=("current", "legacy", "sparse"), default="current",
                        help="GravityZone console profile (legacy: createScanTask always answers true)")
    parser.add_argument("--replay", metavar="TRANSCRIPT",
                        help="serve this recorded transcript (JSON lines) back, request by request")
    parser.add_argument("--cert", choices=("good", "expired", "wrong-host"), default="good",
                        help="server certificate to present (default good)")
    return parser.parse_args(argv)


def main(argv=None):
    """Serve until told to stop; returns the exit status."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *signal_args: stop.set())
    simulator = Simulator(os.path.abspath(args.state_dir), port=args.port, cert_variant=args.cert,
                          faz_shape=args.faz_shape, faz_profile=args.faz_profile, gz_profile=args.gz_profile)
    simulator.start()
    if args.replay:
        simulator.replay(path=os.path.abspath(args.replay))
    info = simulator.ready_info(os.getpid())
    try:
        if args.ready_file:
            atomic_write(args.ready_file, (json.dumps(info) + "\n").encode("utf-8"))
        print(json.dumps(info), flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
        if args.ready_file:
            remove_ready_file(args.ready_file, info["pid"])
    return 0


def remove_ready_file(path, pid):
    """Remove the ready file unless another simulator has written its own there since."""
    try:
        with open(path, encoding="utf-8") as handle:
            if json.load(handle).get("pid") != pid:
                return
        os.unlink(path)
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
