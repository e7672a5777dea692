# The touch-under-load peer: answers the worker's pid, as Imperium's typed-API /api/info does.
import os


def application(environ, start_response):
    body = ('{"pid":%d}' % os.getpid()).encode()
    start_response('200 OK', [('Content-Type', 'application/json'), ('Content-Length', str(len(body))),
                              ('Cache-Control', 'no-store')])
    return [body]
