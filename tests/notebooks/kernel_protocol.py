#!/usr/bin/python3
"""Talks to a gold kernel over the Jupyter protocol, as a front end does, and prints what it answered
as one JSON object: completion, is-complete, an interrupted busy cell, and a cell after it.

usage: kernel_protocol.py KERNEL_NAME
Run by KernelProtocolTest, which asserts on the answers.
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel


def run(kc, code, timeout=60):
    """Executes code and returns (reply content, outputs) once the kernel is idle again."""
    msg_id = kc.execute(code)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in ("stream", "execute_result", "display_data", "error"):
            outputs.append({"type": kind, **msg["content"]})
    reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], outputs


def is_complete(kc, code):
    msg_id = kc.is_complete(code)
    while True:
        msg = kc.get_shell_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]


def main():
    km, kc = start_new_kernel(kernel_name=sys.argv[1], startup_timeout=60)
    answers = {}
    try:
        info = kc.kernel_info(reply=True, timeout=30)["content"]
        answers["language"] = info["language_info"]["name"]
        code = 'String word = "gold";\nword.toUpper'
        answers["complete"] = kc.complete(code, len(code), reply=True, timeout=60)["content"]["matches"]
        answers["is_complete_open"] = is_complete(kc, "for (int i = 0; i < 3; i++) {")
        answers["is_complete_done"] = is_complete(kc, "int done = 1;")["status"]

        msg_id = kc.execute("long spins = 0;\nwhile (true) { spins++; }")
        time.sleep(2)
        started = time.time()
        km.interrupt_kernel()
        reply = None
        while reply is None:
            msg = kc.get_shell_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id:
                reply = msg["content"]
        answers["interrupt_seconds"] = round(time.time() - started, 2)
        answers["interrupted_reply"] = {"status": reply["status"], "ename": reply.get("ename")}
        _, outputs = run(kc, "spins > 0")
        answers["after_interrupt"] = outputs
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    print(json.dumps(answers))


if __name__ == "__main__":
    main()
