# The workshop hub: JupyterHub on one machine, every learner in the course's pinned environment.
#
#     make hub                      # from the repository root; prints the address and passwords
#
# Everything a workshop changes is an environment variable (defaults in brackets):
#   CLASSROOM_IP [127.0.0.1]        0.0.0.0 to take learners from the network (use TLS then)
#   CLASSROOM_PORT [8000]           the one public port (the proxy)
#   CLASSROOM_SSL_CERT / _KEY       TLS certificate and key files (e.g. from Let's Encrypt)
#   CLASSROOM_AUTH [password]       "password": a shared workshop password, learners pick a name;
#                                   "tmp": no sign-in at all, each visit gets a new anonymous account
#   CLASSROOM_PASSWORD              the learners' shared password (>= 8 characters) [generated]
#   CLASSROOM_ADMIN_PASSWORD        the instructor's password (>= 32 characters) [generated]
#   CLASSROOM_MEMORY_MB [2048]      hard memory limit per learner (cgroup); the course's own guard,
#                                   COLLAPSE_LAB_MEMORY_MB, is set 512 MB below it
#   CLASSROOM_LEARNER_ACCOUNT [nobody]  the unprivileged account learners run as when the hub is root
#   CLASSROOM_CPUS [1]              cores each learner may use at most (cgroup CPU quota)
#   CLASSROOM_START_TIMEOUT [300]   seconds a server may take to start before the hub gives up
#   CLASSROOM_MAX_LEARNERS [0]      running servers allowed at once (0: no limit)
#   CLASSROOM_IDLE_TIMEOUT [3600]   seconds without activity before the culler stops a server
#   CLASSROOM_CULL_EVERY [300]      how often the culler looks
#   CLASSROOM_ACTIVITY_INTERVAL [300]  how often servers and proxy report activity to the hub
#   CLASSROOM_DATA [classroom/.data]   hub database, secrets and the learners' home folders
#   CLASSROOM_STORE [$CLASSROOM_DATA/store]  the notebooks' runs, computed once by `make hub`
#                                   (python -m collapse_lab warm) and read by every learner
#                                   (COLLAPSE_LAB_STORE); used when the folder exists
#   CLASSROOM_HUB_PORT [8081], CLASSROOM_PROXY_API_PORT [8001]  internal ports (loopback only)
#
# Sign-in, and why a shared password by default: learners choose a name, so a second login (other
# tab, other laptop, after the culler stopped their server) brings back the same work, and the
# password keeps a public VM from serving anyone who finds its address. Temporary accounts
# (tmpauthenticator) need no typing at all but lose the learner's work with the browser cookie.
import os
import secrets
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))              # spawner.py sits beside this file
import spawner  # noqa: E402

c = get_config()  # noqa: F821 (provided by JupyterHub)


def env(name, default):
    return os.environ.get(f"CLASSROOM_{name}", default)


# --- where the hub keeps its state ------------------------------------------------------------
data = Path(env("DATA", HERE / ".data")).resolve()
hub_dir, homes = data / "hub", data / "home"
hub_dir.mkdir(parents=True, exist_ok=True)
hub_dir.chmod(0o700)                       # database and secrets: not readable by learners
homes.mkdir(parents=True, exist_ok=True)
homes.chmod(0o755)
c.JupyterHub.db_url = f"sqlite:///{hub_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(hub_dir / "cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(hub_dir / "proxy.pid")


def password(name, length, file):
    """The password from the environment, else one generated once and kept in the hub's folder."""
    if env(name, ""):
        return env(name, "")
    path = hub_dir / file
    if not path.exists():
        path.write_text(secrets.token_urlsafe(length))
        path.chmod(0o600)
    return path.read_text().strip()


# --- network: the proxy is the only public port ----------------------------------------------
c.JupyterHub.ip = env("IP", "127.0.0.1")
c.JupyterHub.port = int(env("PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('PROXY_API_PORT', '8001')}"
local_proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"   # npm ci --prefix classroom
c.ConfigurableHTTPProxy.command = [str(local_proxy) if local_proxy.exists() else "configurable-http-proxy"]
if env("SSL_CERT", ""):
    c.JupyterHub.ssl_cert = env("SSL_CERT", "")
    c.JupyterHub.ssl_key = env("SSL_KEY", "")

# --- sign-in ----------------------------------------------------------------------------------
if env("AUTH", "password") == "tmp":
    c.JupyterHub.authenticator_class = "tmpauthenticator.TmpAuthenticator"
else:
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = password("PASSWORD", 9, "password")
    c.SharedPasswordAuthenticator.admin_password = password("ADMIN_PASSWORD", 32, "admin_password")
    c.Authenticator.admin_users = {"instructor"}      # the admin page: /hub/admin
    c.Authenticator.allow_all = True                  # any name, with the workshop password

# Names become folder and cgroup names: letters, digits, - and _ only, starting with a letter or
# digit (so never "..") -- temporary accounts' UUIDs fit too.
c.Authenticator.username_pattern = r"^[a-z0-9][a-z0-9_-]{0,63}$"

# --- each learner's server: the course environment, limits, a copy of the notebooks ------------
c.JupyterHub.spawner_class = "spawner.ClassroomSpawner"
learner_account = env("LEARNER_ACCOUNT", "nobody")
if os.geteuid() == 0 and learner_account != "root" and not spawner.account_can_run(learner_account):
    # Learners run as root after all: say so loudly. Fix: put the clone and its .venv under /srv.
    print(f"\n  WARNING: the account {learner_account!r} cannot run {sys.executable} or import the course,\n"
          f"  so learners run as ROOT: anyone signed in controls this machine. Put the course and its\n"
          f"  environment where {learner_account!r} can read them (e.g. /srv), or set CLASSROOM_LEARNER_ACCOUNT.\n",
          file=sys.stderr)
    learner_account = "root"
c.ClassroomSpawner.learner_account = learner_account
# `python -m jupyterhub.singleuser` in this very environment, minus one import the server never
# uses (singleuser.py says which and why: half of a server's start).
c.Spawner.cmd = [sys.executable, str(HERE / "singleuser.py")]
# Server extensions a learner on this hub does not use: jupyter_lsp (no language server is
# installed, and JupyterLab's LSP features are off by default), nbgitpuller (this hub copies the
# notebooks itself; Zero to JupyterHub's image keeps it): together about 0.07 CPU-s of a start
# (2026-12-05). Kept, each costing as little (within the 0.05 CPU-s noise): notebook and
# notebook_shim (JupyterLab's "Open in... Notebook" leads there), jupyterlab_jupytext (its
# JupyterLab menu talks to it), jupyter_server_terminals (the launcher's Terminal).
c.Spawner.args = [f"--ServerApp.jpserver_extensions={name}=False" for name in ("jupyter_lsp", "nbgitpuller")]
c.Spawner.default_url = "/lab/tree/notebooks/00_start_here.ipynb"
c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
c.ClassroomSpawner.notebooks_source = str(ROOT / "notebooks")
c.ClassroomSpawner.cpu_quota = float(env("CPUS", "1"))
c.Spawner.mem_limit = f"{int(env('MEMORY_MB', '2048'))}M"
# A class signing in at once shares the cores: each server costs about 1 CPU-second to answer and
# another 1-2 for the page and the notebook's kernel (benchmarks/classroom.py; 6.5 in the
# 2026-11-30 load test), so start servers before class (docs/instructor_guide.md).
c.Spawner.start_timeout = int(env("START_TIMEOUT", "300"))
c.Spawner.http_timeout = int(env("START_TIMEOUT", "300"))
c.Spawner.environment = {"JUPYTERHUB_ACTIVITY_INTERVAL": env("ACTIVITY_INTERVAL", "300")}
# The runs every notebook makes, computed once when the hub is set up (make hub runs
# `python -m collapse_lab warm` into this folder): a learner's Run All reads them instead of
# computing them. Learners only read it (files 0644, written by the hub's account); their own
# settings are computed in their kernels.
store = Path(env("STORE", data / "store")).resolve()
if store.is_dir():
    c.Spawner.environment["COLLAPSE_LAB_STORE"] = str(store)
c.JupyterHub.last_activity_interval = int(env("ACTIVITY_INTERVAL", "300"))
c.JupyterHub.active_server_limit = int(env("MAX_LEARNERS", "0"))

# --- the idle culler: stop servers nobody has used for a while --------------------------------
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={env('IDLE_TIMEOUT', '3600')}", f"--cull-every={env('CULL_EVERY', '300')}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]

# --- tell the person who started the hub how to get in ----------------------------------------
scheme = "https" if env("SSL_CERT", "") else "http"
address = f"{scheme}://{'<this machine>' if c.JupyterHub.ip == '0.0.0.0' else c.JupyterHub.ip}:{c.JupyterHub.port}/"
if env("AUTH", "password") == "tmp":
    print(f"\n  Workshop hub: {address}  (no sign-in: every visit gets a new account)\n", file=sys.stderr)
else:
    print(f"\n  Workshop hub: {address}\n"
          f"  Learners: any name, password {c.SharedPasswordAuthenticator.user_password}\n"
          f"  Instructor: name 'instructor', password in {hub_dir / 'admin_password'}"
          f" (or $CLASSROOM_ADMIN_PASSWORD); admin page {address}hub/admin\n", file=sys.stderr)
