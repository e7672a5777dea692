# The JSON peer: {"message":"Hello, NAME"} from ?name=NAME, the same bytes as Imperium's typed-API /api/hello.
import json
from urllib.parse import parse_qs


def application(environ, start_response):
    name = parse_qs(environ.get('QUERY_STRING', '')).get('name', [''])[0]
    if not name.strip():
        name = 'world'
    body = json.dumps({'message': 'Hello, ' + name}, separators=(',', ':')).encode()
    start_response('200 OK', [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
    return [body]
