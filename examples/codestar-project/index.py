import datetime
import json


def _response(status, data):
    return {
        'statusCode': status,
        'body': json.dumps(data),
        'headers': {'Content-Type': 'application/json'},
    }


def get(event, context):
    """GET /: the CodeStar sample's greeting."""
    return _response(200, {
        'output': 'Hello World',
        'timestamp': datetime.datetime.now(datetime.timezone.utc).isoformat(),
    })


def post(event, context):
    """POST /: greet the name in the JSON body ({"name": "..."})."""
    try:
        body = json.loads(event.get('body') or '{}')
    except ValueError:
        return _response(400, {'error': 'body must be JSON'})
    name = body.get('name', 'World') if isinstance(body, dict) else 'World'
    return _response(200, {
        'output': f'Hello {name}',
        'timestamp': datetime.datetime.now(datetime.timezone.utc).isoformat(),
    })
