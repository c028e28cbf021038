# Loaded by schemathesis (SCHEMATHESIS_HOOKS) in test/attacks/schemathesis.test.ts: a check that
# fails on any response that shows a stack trace, and a tally of every response it saw, written
# to SCHEMATHESIS_TALLY so the jest test can assert numbers.
import json
import os
import re

import schemathesis

STACK = re.compile(r"(\n\s+at .+[(:]\d+:\d+\)?)|Traceback \(most recent call last\)|node_modules/|/provider/src/")


@schemathesis.check
def no_stack_trace(ctx, response, case):
    text = response.text or ""
    with open(os.environ["SCHEMATHESIS_TALLY"], "a", encoding="utf-8") as out:
        out.write(json.dumps({"method": case.method.upper(), "path": case.operation.path, "status": response.status_code, "stack": bool(STACK.search(text))}) + "\n")
    if STACK.search(text):
        raise AssertionError(f"stack trace in the response to {case.method} {case.path}")
