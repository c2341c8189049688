"""A learner's single-user server: `python -m jupyterhub.singleuser`, minus one import it never uses.

The hub starts this file instead of `-m jupyterhub.singleuser` (c.Spawner.cmd in
jupyterhub_config.py). The only difference: `rfc3987_syntax` is made unimportable in the server's
process. jsonschema imports it, when installed, for the "iri" and "iri-reference" format checks,
and building its 38 lark grammars at import took 0.9 of the 1.9 CPU-seconds a server spent before
it answered (cProfile and -X importtime of the hub's own single-user command, 2026-12-05). No schema
the server validates (jupyter_events' event schemas, nbformat, jupyterlab_server's settings) uses
those formats, and jsonschema treats a missing checker as "not checked", as it does when the
package is not installed at all.

Only this process is affected: kernels are separate processes (`python -m ipykernel_launcher`), so
a learner's own `import rfc3987_syntax` or jsonschema in a notebook behaves as everywhere else.
"""
import os
import runpy
import sys

sys.modules["rfc3987_syntax"] = None            # `import rfc3987_syntax` now raises ImportError
sys.path[0] = os.getcwd()                        # as `python -m` would have it (not this folder)
sys.argv[0] = "jupyterhub-singleuser"
runpy.run_module("jupyterhub.singleuser", run_name="__main__", alter_sys=True)
