"""A lesson's key points checked in their neighbourhood (notebooks 03 and 04: `check_claims()`).

Each lesson writes its key points as CLAIMS, (sentence, check, where) triples, and NEIGHBOURS, the settings
by name; `check` runs each claim's check at each setting it names and reports, instead of raising, which
held. tests/test_claims_03_04.py runs the same checks one by one.
"""


def check(claims, settings, only=None):
    """{(sentence, setting name): None if the check held there, else its failure}; `only` limits the settings."""
    results = {}
    for sentence, claim, where in claims:
        for name in where if only is None else [n for n in where if n in only]:
            try:
                claim(**settings[name])
                results[sentence, name] = None
            except AssertionError as failure:
                results[sentence, name] = str(failure) or "failed"
    return results
