"""A throw-away workshop hub, and simulated learners who use it the way a browser does.

Shared by the load test (benchmarks/classroom.py) and the hub test (tests/test_hub.py):

    with Hub(idle_timeout=3600) as hub:               # real JupyterHub + real proxy, loopback ports
        learner = Learner(hub.url, "ada", hub.password)
        learner.log_in()                               # the sign-in form, through the proxy
        seconds = learner.start_server()               # request -> server answers through the proxy
        kernel = learner.open_notebook("notebooks/00_start_here.ipynb")
        seconds, error = kernel.run_all()              # execute_request over the kernel websocket
    # leaving the block stops the hub, and kills anything of its that survived (hub.leftovers)

Every request goes to 127.0.0.1. The kernel protocol is spoken directly: REST to create the
session, then JSON messages on /api/kernels/<id>/channels, as JupyterLab does.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil
import requests
import websocket  # websocket-client, a dependency of jupyter_server

from spawner import cgroup_dirs, remove_cgroups

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proxy_command():
    """The proxy JupyterHub will run (classroom/node_modules, else one on PATH), or None."""
    if PROXY.exists():
        return str(PROXY)
    return shutil.which("configurable-http-proxy")


class Hub:
    """Start classroom/jupyterhub_config.py in a fresh data folder on free loopback ports."""

    def __init__(self, *, memory_mb=2048, cpus=1.0, idle_timeout=3600, cull_every=300,
                 activity_interval=300, log=None, start_timeout=60, keep=False, store=None):
        self.data = Path(tempfile.mkdtemp(prefix="collapse-hub-"))
        self.data.chmod(0o755)                   # learners (an unprivileged account) reach their homes
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = "workshop-" + uuid.uuid4().hex[:8]
        self.env = dict(
            os.environ,
            CLASSROOM_DATA=str(self.data), CLASSROOM_IP="127.0.0.1", CLASSROOM_PORT=str(self.port),
            CLASSROOM_HUB_PORT=str(free_port()), CLASSROOM_PROXY_API_PORT=str(free_port()),
            CLASSROOM_AUTH="password", CLASSROOM_PASSWORD=self.password,
            CLASSROOM_MEMORY_MB=str(memory_mb), CLASSROOM_CPUS=str(cpus),
            CLASSROOM_IDLE_TIMEOUT=str(idle_timeout), CLASSROOM_CULL_EVERY=str(cull_every),
            CLASSROOM_ACTIVITY_INTERVAL=str(activity_interval),
        )
        # the notebooks' runs (collapse_lab warm): a store given here, else none at all -- never the
        # default classroom/.data/store, so a round measures what it says it does
        self.env["CLASSROOM_STORE"] = str(Path(store).resolve()) if store else str(self.data / "no-store")
        self.log_path = Path(log) if log else self.data / "hub.log"
        self.start_timeout = start_timeout
        self.keep = keep                         # keep the data folder (homes, database, log) after stop
        self.process = None
        self.leftovers = []

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(HERE / "jupyterhub_config.py")],
                cwd=self.data, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.process.returncode}:\n{self.tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the hub did not answer within {self.start_timeout} s:\n{self.tail()}")

    def tail(self, lines=40):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def processes(self):
        """The hub and everything it started (proxy, culler, servers, kernels)."""
        try:
            hub = psutil.Process(self.process.pid)
            return [hub, *hub.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def stop(self, grace=90):
        """Stop the hub (which stops servers and proxy); kill whatever survives; remember it."""
        if self.process is None:
            return
        family = self.processes()                 # servers run in their own sessions: note them now
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        _, alive = psutil.wait_procs([p for p in family if p.pid != self.process.pid], timeout=5)
        self.leftovers = [f"{p.pid} {' '.join(p.cmdline()[:4])}" for p in alive if p.is_running()]
        for p in alive:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        for home in (self.data / "home").glob("*"):
            remove_cgroups(cgroup_dirs(home.name))   # a learner whose server the hub could not stop
        self.process = None
        if not self.keep and not self.leftovers:
            shutil.rmtree(self.data, ignore_errors=True)


class Learner:
    """One simulated learner: a browser-like session with the hub, then an API token."""

    def __init__(self, url, name, password, timeout=30):
        self.url, self.name, self.password, self.timeout = url, name, password, timeout
        self.http = requests.Session()

    def log_in(self):
        """The sign-in form (with its _xsrf field), then a token for the API calls a page makes."""
        self.http.get(f"{self.url}/hub/login", timeout=self.timeout).raise_for_status()
        xsrf = self.http.cookies.get("_xsrf", path="/hub/")
        form = {"username": self.name, "password": self.password, "_xsrf": xsrf}
        reply = self.http.post(f"{self.url}/hub/login", data=form, allow_redirects=False, timeout=self.timeout)
        if reply.status_code != 302:
            raise RuntimeError(f"{self.name}: sign-in refused ({reply.status_code})")
        xsrf = self.http.cookies.get("_xsrf", path="/hub/")    # signing in issues a new one
        reply = self.http.post(f"{self.url}/hub/api/users/{self.name}/tokens", json={"note": "simulated learner"},
                               headers={"X-XSRFToken": xsrf}, timeout=self.timeout)
        reply.raise_for_status()
        self.http.headers["Authorization"] = f"token {reply.json()['token']}"
        self.token = reply.json()["token"]

    def hub_api(self, method, path, **kwargs):
        reply = self.http.request(method, f"{self.url}/hub/api/users/{self.name}{path}", timeout=self.timeout, **kwargs)
        reply.raise_for_status()
        return reply.json() if reply.content else None

    # what JupyterLab asks its server for as its page loads (settings and translations are the costly ones)
    LAB_REQUESTS = ("/lab/api/settings", "/lab/api/translations/", "/lab/api/workspaces/default", "/api/kernelspecs",
                    "/api/contents/notebooks?content=1", "/api/sessions", "/api/kernels", "/api/terminals")

    def open_lab(self):
        """The JupyterLab page the hub's default URL leads to and the server requests it makes: seconds."""
        start = time.perf_counter()
        page = self.http.get(f"{self.url}/user/{self.name}/lab/tree/notebooks/00_start_here.ipynb", timeout=self.timeout)
        page.raise_for_status()
        if "/lab/" not in page.url:                      # e.g. sent to the sign-in page instead
            raise RuntimeError(f"{self.name}: JupyterLab's page led to {page.url}")
        for path in self.LAB_REQUESTS:
            self.api("GET", path)
        return time.perf_counter() - start

    def server(self):
        """The hub's record of this learner's server, or None when it is not running."""
        return self.hub_api("GET", "").get("servers", {}).get("")

    def start_server(self, timeout=180):
        """Ask the hub for a server; seconds until it answers through the proxy."""
        start = time.perf_counter()
        self.hub_api("POST", "/server")
        while time.perf_counter() - start < timeout:
            server = self.server()
            if server is None:                 # pending servers are listed; a failed spawn is dropped
                raise RuntimeError(f"{self.name}: the hub gave up starting the server "
                                   f"after {time.perf_counter() - start:.0f} s (its start_timeout)")
            if server.get("ready"):
                # the first page load through the proxy, as a browser's redirect would make it
                self.api("GET", "/api/status")
                return time.perf_counter() - start
            time.sleep(0.25)
        raise TimeoutError(f"{self.name}: server not ready after {timeout} s")

    def stop_server(self):
        reply = self.http.delete(f"{self.url}/hub/api/users/{self.name}/server", timeout=self.timeout)
        if reply.status_code not in (202, 204, 400):
            reply.raise_for_status()

    def api(self, method, path, **kwargs):
        """A request to this learner's own server, through the proxy."""
        reply = self.http.request(method, f"{self.url}/user/{self.name}{path}", timeout=self.timeout, **kwargs)
        reply.raise_for_status()
        return reply.json() if reply.content else None

    def open_notebook(self, path):
        """Read the notebook (contents API) and start its kernel (sessions API), as opening a tab does."""
        notebook = self.api("GET", f"/api/contents/{path}")["content"]
        session = self.api("POST", "/api/sessions",
                           json={"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}})
        return Kernel(self, session["kernel"]["id"], notebook)


class Kernel:
    """A kernel spoken to over its websocket with the JSON form of the Jupyter messaging protocol."""

    def __init__(self, learner, kernel_id, notebook):
        self.learner, self.id, self.notebook = learner, kernel_id, notebook
        self.session = uuid.uuid4().hex
        url = learner.url.replace("http://", "ws://") + f"/user/{learner.name}/api/kernels/{kernel_id}/channels"
        self.ws = websocket.create_connection(f"{url}?session_id={self.session}", timeout=learner.timeout,
                                              header=[f"Authorization: token {learner.token}"])
        self.dead = False

    def code_cells(self):
        return ["".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                for cell in self.notebook["cells"] if cell["cell_type"] == "code"]

    def send(self, code):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": self.session,
                       "username": self.learner.name, "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        return msg_id

    def drain(self, wait=0.05):
        """Read and drop the messages already waiting (a run's last updates): how many carried a figure."""
        figures = 0
        self.ws.settimeout(wait)
        while True:
            try:
                figures += new_png(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                return figures
            except (websocket.WebSocketException, OSError):
                self.dead = True
                return figures

    def execute(self, code, timeout=300, until=None):
        """Run `code`: (seconds, error or None, seconds until `until(message)` first held or None).

        Finished means the execute_reply and the kernel's return to idle have arrived, and, when
        `until` is given, a message for which it holds (from any thread of the kernel, so a
        redraw done in the background still counts).
        """
        start = time.perf_counter()
        msg_id = self.send(code)
        replied = idle = False
        error, seen = None, None
        while not (replied and idle and (until is None or seen is not None)):
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                return time.perf_counter() - start, "timeout", seen
            self.ws.settimeout(left)
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                return time.perf_counter() - start, "timeout", seen
            except (websocket.WebSocketException, OSError) as exc:
                self.dead = True
                return time.perf_counter() - start, f"websocket closed: {exc}", seen
            kind = message["header"]["msg_type"]
            if kind == "status" and message["content"]["execution_state"] in ("dead", "restarting"):
                self.dead = True
                return time.perf_counter() - start, "kernel died", seen
            if until and seen is None and until(message):
                seen = time.perf_counter() - start
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if kind == "execute_reply":
                replied = True
                if message["content"]["status"] != "ok":
                    error = error or f"{message['content'].get('ename')}: {message['content'].get('evalue')}"
            elif kind == "error":
                error = f"{message['content']['ename']}: {message['content']['evalue']}"
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                idle = True
            if error and replied and idle:
                break                              # no redraw will come after an error
        return time.perf_counter() - start, error, seen

    def run_all(self, timeout=600):
        """Run every code cell in order, stopping at the first error: (seconds, error or None)."""
        start = time.perf_counter()
        for number, code in enumerate(self.code_cells(), 1):
            left = timeout - (time.perf_counter() - start)
            _, error, _ = self.execute(code, timeout=max(left, 1))
            if error:
                return time.perf_counter() - start, f"cell {number}: {error}"
        return time.perf_counter() - start, None

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass


def new_png(message):
    """True for a widget update that carries a new figure (the explorer's Output gets a PNG)."""
    return (message["header"]["msg_type"] == "comm_msg"
            and "image/png" in json.dumps(message["content"].get("data", {}).get("state", {})))


def kernel_process(hub, kernel_id):
    """The psutil.Process of a kernel, found by its id in the connection file named on its command line."""
    for process in hub.processes():
        try:
            if any(kernel_id in part for part in process.cmdline()):
                return process
        except psutil.NoSuchProcess:
            continue
    return None


def is_server(process):
    """True for a learner's single-user server (classroom/singleuser.py, or -m jupyterhub.singleuser)."""
    return any(part == "jupyterhub.singleuser" or part.endswith("singleuser.py") for part in process.cmdline()[1:3])


def server_process(hub, learner):
    """The psutil.Process of a learner's single-user server (its environment names the learner)."""
    for process in hub.processes():
        try:
            if is_server(process) and process.environ().get("JUPYTERHUB_USER") == learner:
                return process
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return None


def cpu_seconds(process):
    """User + system CPU time of a process, NaN if there is none (any more)."""
    try:
        return sum(process.cpu_times()[:2]) if process else float("nan")
    except psutil.NoSuchProcess:
        return float("nan")


def learner_memory(hub):
    """{learner: bytes} -- resident memory of each learner's server plus its kernels, right now."""
    usage = {}
    for process in hub.processes():
        try:
            if not is_server(process):
                continue
            name = process.environ().get("JUPYTERHUB_USER", str(process.pid))
            family = [process, *process.children(recursive=True)]
            usage[name] = sum(p.memory_info().rss for p in family if p.is_running())
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return usage
