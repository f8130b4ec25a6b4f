"""`lms serve`: gunicorn web workers plus exactly one scheduler process, stopped together."""

import signal
import subprocess
import sys
import time

STOP_TIMEOUT = 20


def serve(host: str, port: int, workers: int, scheduler: bool = True) -> int:
    """Run until Ctrl-C/SIGTERM or until a child dies; returns the exit status."""
    children = {
        "web": subprocess.Popen([
            sys.executable, "-m", "gunicorn", "--workers", str(workers),
            "--bind", f"{host}:{port}", "--access-logfile", "-", "--graceful-timeout", "15",
            "--no-control-socket",
            "--forwarded-allow-ips", "127.0.0.1", "lms.wsgi:app",
        ]),
    }
    if scheduler:
        children["scheduler"] = subprocess.Popen([sys.executable, "-m", "lms", "scheduler"])

    stopping = False

    def stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    print(f"Pathway on http://{host}:{port}/ (pid {' '.join(str(c.pid) for c in children.values())}"
          "); Ctrl-C stops it", flush=True)
    status = 0
    try:
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"{name} process exited with {child.returncode}; stopping",
                          file=sys.stderr, flush=True)
                    status = child.returncode or 1
                    stopping = True
            time.sleep(0.2)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status
