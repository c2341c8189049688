"""Check that every key in config.yaml exists in the Zero to JupyterHub chart's values schema.

    python classroom/z2jh/check_keys.py values.schema.yaml [config.yaml] [--defaults values.yaml]

The schema ships in the chart (jupyterhub/values.schema.yaml in jupyterhub/zero-to-jupyterhub-k8s,
or `helm show values` + `helm pull --untar` for the packaged chart). Keys are followed down the
schema's `properties` (and `patternProperties`); a part of the schema that lists no properties (hub.config, extraEnv, ...)
is free-form and is not descended into. With --defaults (the chart's own values.yaml), the
config is also merged into the chart's defaults the way helm merges values (mappings update,
lists replace) and the result validated against the whole schema with jsonschema, which is
what helm does with the chart's values.schema.json. Rendering the templates (`helm template`)
needs helm and the chart, neither available offline here.

Prints each key path with OK or UNKNOWN, then any schema error; exits 1 on either.
"""
import re
import sys
from pathlib import Path

import yaml


def key_paths(config, schema, prefix=""):
    """Yield (dotted path, known?) for every key of `config`, walking `schema` alongside."""
    for key, value in config.items():
        path = f"{prefix}{key}"
        properties = schema.get("properties") or {}
        patterns = [child for pattern, child in (schema.get("patternProperties") or {}).items()
                    if re.search(pattern, key)]
        child = properties.get(key) or (patterns[0] if patterns else None)
        if child is not None:
            yield path, True
            if isinstance(value, dict) and child.get("properties"):
                yield from key_paths(value, child, path + ".")
        elif (properties or schema.get("patternProperties")) and schema.get("additionalProperties") is False:
            yield path, False
        else:
            yield path, True                # free-form mapping: any key is allowed


def merge(defaults, values):
    """Helm's merge of user values into chart defaults: mappings update, anything else replaces."""
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(defaults.get(key), dict):
            merge(defaults[key], value)
        else:
            defaults[key] = value
    return defaults


def main(argv):
    defaults = None
    if "--defaults" in argv:
        at = argv.index("--defaults")
        defaults, argv = Path(argv[at + 1]), argv[:at] + argv[at + 2:]
    schema = yaml.safe_load(Path(argv[0]).read_text())
    config_path = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("config.yaml")
    config = yaml.safe_load(config_path.read_text())
    unknown = 0
    for path, known in key_paths(config, schema):
        print(f"{'OK     ' if known else 'UNKNOWN'} {path}")
        unknown += not known
    if defaults:
        import jsonschema
        merged = merge(yaml.safe_load(defaults.read_text()), config)
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(merged))
        for error in errors:
            print(f"SCHEMA  {error.json_path}: {error.message[:200]}")
        print(f"merged with the chart's defaults: {len(errors)} schema errors")
        unknown += len(errors)
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
