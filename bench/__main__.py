"""`make bench`: the model's speed, the browser's slider latency against a minimal page, and load."""
import platform
import sys

from . import browser_speed, load, model_speed


def main() -> int:
    print(f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}")
    for line in model_speed.report(model_speed.measure()):
        print(line)
    for line in browser_speed.report(browser_speed.measure()):
        print(line)
    for line in load.report(load.measure()):
        print(line)
    return 0


sys.exit(main())
