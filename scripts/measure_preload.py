#!/usr/bin/env python
"""Measure gunicorn with the engine preloaded in the master against loaded in each worker:
time until both workers are ready, their memory (PSS), and how soon a SIGKILLed worker is
replaced. Usage (Linux; a data directory with a migrated database in POSTGUARD_DATA_DIR):
    PYTHONPATH=src python scripts/measure_preload.py preload|perworker PORT
Figures: docs/benchmarks.md, "Preloading the engine in the master or loading it in each worker".
"""
import os, sys, time, signal, subprocess, json, urllib.request
mode = sys.argv[1]  # preload | perworker
port = int(sys.argv[2])
marks = f"/tmp/postguard-preload-marks-{mode}.txt"
if sys.argv[3:] == ["child"]:
    t0 = time.time()
    from postguard.web.commands import _setup
    _setup(None)
    from postguard.web import serving
    from gunicorn.app.base import BaseApplication
    opts = serving.gunicorn_options(host="127.0.0.1", port=port, workers=2, threads=2, proxies=())
    opts["preload_app"] = mode == "preload"
    def post_worker_init(worker):
        with open(marks, "a") as f: f.write(f"{os.getpid()} {time.time()}\n")
    class App(BaseApplication):
        def load_config(self):
            for k, v in opts.items(): self.cfg.set(k, v)
            self.cfg.set("post_worker_init", post_worker_init)
        def load(self):
            from postguard.web.wsgi import application
            serving.warm_up()
            if mode == "preload":
                serving._close_database_connections()
                import gc; gc.collect(); gc.freeze()
            return application
    with open(marks, "w") as f: f.write(f"start {t0}\n")
    App().run()
    sys.exit(0)
p = subprocess.Popen([sys.executable, __file__, mode, str(port), "child"])
def workers():
    out = subprocess.run(["ps", "--ppid", str(p.pid), "-o", "pid="], capture_output=True, text=True).stdout.split()
    return [int(x) for x in out]
def ready_count():
    try: return len([l for l in open(marks) if not l.startswith("start")])
    except OSError: return 0
t = time.time()
while ready_count() < 2: time.sleep(0.05)
start = float(open(marks).readline().split()[1])
last = max(float(l.split()[1]) for l in open(marks) if not l.startswith("start"))
print(f"{mode}: both workers ready {last-start:.2f} s after the process started")
def pss(pid):
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("Pss:"): return int(line.split()[1]) / 1024
def rss(pid):
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("Rss:"): return int(line.split()[1]) / 1024
ws = workers()
time.sleep(1)
print(f"{mode}: master PSS {pss(p.pid):.0f} MiB; workers PSS " + ", ".join(f"{pss(w):.0f}" for w in ws) + " MiB; RSS " + ", ".join(f"{rss(w):.0f}" for w in ws) + f" MiB; total PSS {pss(p.pid)+sum(pss(w) for w in ws):.0f} MiB")
victim = ws[0]
n = ready_count()
k = time.time(); os.kill(victim, signal.SIGKILL)
while ready_count() <= n: time.sleep(0.01)
print(f"{mode}: a killed worker's replacement ready after {time.time()-k:.2f} s")
p.send_signal(signal.SIGTERM); p.wait()
