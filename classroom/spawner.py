"""The workshop hub's spawner: one local single-user server per learner, with limits.

Why not JupyterHub's own local spawners as they are:
- LocalProcessSpawner runs each learner as a system user of the same name, so every workshop
  account would need `useradd` first (and names learners type are not always valid user names).
- SimpleLocalProcessSpawner runs every learner as the hub's own user; a hub started as root
  would hand every learner a root shell.
So ClassroomSpawner runs every learner as ONE unprivileged account (`nobody` unless configured)
when the hub is root, each in their own home directory, each inside their own cgroup:
- memory: a hard limit per learner (the kernel's OOM killer stops the learner's kernel, not the
  machine); the course's own resource guard (COLLAPSE_LAB_MEMORY_MB) is set below it, so a too
  large run is refused with a message before it can hit the limit;
- CPU: a quota (at most `cpu_limit` cores each), so one learner's long run cannot take every core.
The trade-off, admitted: learners share one uid, so a determined learner can read or stop another
learner's files and processes. That suits a workshop with throw-away accounts; a graded course wants
one system user per learner (The Littlest JupyterHub) or one container each (Zero to JupyterHub).

Without root, or without writable cgroups, the limits are skipped with a warning in the hub's log
(the resource guard still applies). Checked here: cgroup v1 as root (this machine, CI).
cgroup v2 is handled the same way but was NOT tested here (this machine mounts v1).
"""
import asyncio
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Float, Integer, Unicode

CGROUP_ROOT = Path("/sys/fs/cgroup")
GROUP = "collapse-lab"      # every learner's cgroup sits in <the hub's own cgroup>/collapse-lab/<learner>


def _own_cgroup(controller):
    """The directory of this process's cgroup for `controller` (cgroup v1), or None."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return CGROUP_ROOT / controller / path.lstrip("/")
    return None


def cgroup_dirs(learner):
    """{controller: directory} for a learner's cgroup, or {} where cgroups cannot be used here.

    cgroup v1 (separate memory and cpu hierarchies): a child of the hub's own cgroup in each, so
    the learners stay inside whatever limits the hub itself runs under.
    cgroup v2 (one unified hierarchy): /sys/fs/cgroup/collapse-lab/<learner>, since v2 forbids
    processes in a cgroup whose controllers are handed to children (the hub's own cgroup has one).
    """
    if os.geteuid() != 0:
        return {}
    memory, cpu = _own_cgroup("memory"), _own_cgroup("cpu")
    if memory and (memory / "memory.limit_in_bytes").exists() and cpu and (cpu / "cpu.cfs_quota_us").exists():
        return {"memory": memory / GROUP / learner, "cpu": cpu / GROUP / learner}
    if (CGROUP_ROOT / "cgroup.controllers").exists():           # untested: no v2 machine here
        return {"unified": CGROUP_ROOT / GROUP / learner}
    return {}


def _write(path, text):
    Path(path).write_text(str(text))


def make_cgroups(dirs, memory_bytes, cpus):
    """Create the learner's cgroups with a memory limit and a CPU quota of `cpus` cores."""
    period = 100_000                                              # microseconds
    for kind, path in dirs.items():
        if kind == "unified":
            for parent in (CGROUP_ROOT, CGROUP_ROOT / GROUP):
                parent.mkdir(exist_ok=True)
                _write(parent / "cgroup.subtree_control", "+memory +cpu")
        path.mkdir(parents=True, exist_ok=True)
        if kind == "memory":
            _write(path / "memory.limit_in_bytes", memory_bytes)
        elif kind == "cpu":
            _write(path / "cpu.cfs_period_us", period)
            _write(path / "cpu.cfs_quota_us", int(cpus * period))
        else:
            _write(path / "memory.max", memory_bytes)
            _write(path / "cpu.max", f"{int(cpus * period)} {period}")


def cgroup_pids(dirs):
    """Process ids still inside the learner's cgroups."""
    pids = set()
    for path in dirs.values():
        procs = path / "cgroup.procs"
        if procs.exists():
            pids.update(int(p) for p in procs.read_text().split())
    return pids


def remove_cgroups(dirs):
    """Kill whatever is left in the learner's cgroups (a kernel the server did not stop), then remove them."""
    for pid in cgroup_pids(dirs):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for path in dirs.values():
        for _ in range(50):                   # rmdir fails until the killed processes are reaped
            try:
                path.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.1)


def copy_notebooks(source, home, uid, gid):
    """Copy the course notebooks into home/notebooks, never overwriting a file that is already there.

    A second login therefore keeps the learner's edits; a notebook added to the course since
    the first login still arrives.
    """
    target = Path(home) / "notebooks"
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for notebook in sorted(Path(source).glob("*.ipynb")):
        destination = target / notebook.name
        if not destination.exists():
            shutil.copyfile(notebook, destination)
            copied.append(notebook.name)
    for path in [target, *target.iterdir()]:
        os.chown(path, uid, gid)
    return copied


def account_can_run(account, python=sys.executable):
    """True if `account` can start this environment's Python and import the hub and the course.

    Often it cannot: a Python or virtual environment under /root or a 0750 home folder is out of
    reach for other accounts. Clone the course and create its environment under /srv or /opt.
    """
    entry = pwd.getpwnam(account)

    def become():
        os.setgroups([])
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    try:
        check = subprocess.run([python, "-c", "import jupyterhub, collapse_lab"], preexec_fn=become,
                               cwd="/", capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return False
    return check.returncode == 0


class ClassroomSpawner(SimpleLocalProcessSpawner):
    """A learner's server: own home, course notebooks copied in, own cgroup, unprivileged."""

    learner_account = Unicode(
        "nobody", config=True,
        help="System account every learner runs as when the hub runs as root.",
    )
    notebooks_source = Unicode(config=True, help="Folder whose *.ipynb files each learner gets a copy of.")
    guard_headroom_mb = Integer(
        512, config=True,
        help="Memory left for the server, the kernel itself and plots: "
             "COLLAPSE_LAB_MEMORY_MB = memory limit minus this.",
    )
    cpu_quota = Float(1.0, config=True, help="Cores each learner may use at most (a cgroup CPU quota).")

    def _account(self):
        if os.geteuid() != 0:
            return os.getuid(), os.getgid()
        entry = pwd.getpwnam(self.learner_account)
        return entry.pw_uid, entry.pw_gid

    @property
    def memory_mb(self):
        return (self.mem_limit or 0) // 2**20

    def get_env(self):
        env = super().get_env()
        if self.memory_mb:
            # the course's guard refuses runs that would not fit under the hard limit
            env["COLLAPSE_LAB_MEMORY_MB"] = str(max(self.memory_mb - self.guard_headroom_mb, 128))
        env["MPLCONFIGDIR"] = os.path.join(self.home_dir, ".config", "matplotlib")
        return env

    def get_args(self):
        args = list(super().get_args())                  # a copy: never grow the configured list
        if self._account()[0] == 0:
            args.append("--ServerApp.allow_root=True")   # only when configured so; see jupyterhub_config.py
        return args

    async def start(self):
        uid, gid = self._account()
        Path(self.home_dir).mkdir(parents=True, exist_ok=True)
        os.chown(self.home_dir, uid, gid)
        if self.notebooks_source:
            copied = copy_notebooks(self.notebooks_source, self.home_dir, uid, gid)
            self.log.info("%s: copied %d new notebooks into %s", self.user.name, len(copied), self.home_dir)
        self.cgroups = cgroup_dirs(self.user.name)
        if self.cgroups and self.mem_limit:
            try:
                make_cgroups(self.cgroups, self.mem_limit, self.cpu_quota)
            except OSError as error:
                self.log.warning("%s: no cgroup limits (%s)", self.user.name, error)
                self.cgroups = {}
        elif self.mem_limit:
            self.log.warning("%s: memory and CPU limits need root and cgroups; running without", self.user.name)
        return await super().start()

    def make_preexec_fn(self, name):
        home, cgroups = self.home_dir, dict(getattr(self, "cgroups", {}))
        uid, gid = self._account()
        drop = os.geteuid() == 0

        def preexec():
            # runs in the child between fork and exec: join the cgroups, then give up root
            for path in cgroups.values():
                _write(path / "cgroup.procs", os.getpid())
            if drop:
                os.setgroups([])
                os.setgid(gid)
                os.setuid(uid)
            os.chdir(home)

        return preexec

    async def stop(self, now=False):
        await super().stop(now=now)
        # recomputed, so also right after a hub restart; in a thread, as it may wait for processes to go
        await asyncio.to_thread(remove_cgroups, cgroup_dirs(self.user.name))
