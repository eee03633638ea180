import json

import requests

URL = 'https://jsonplaceholder.typicode.com/todos/1'

try:
    response = requests.get(URL, timeout=5)
    if response.status_code == 200:
        # As JSON, so that any language reads it back the same.
        print(json.dumps(response.json()))
    else:
        print('Failed to get data')
except (requests.RequestException, ValueError):
    # A network error, or a body that is not JSON (requests' JSONDecodeError is a ValueError).
    print('Failed to get data')
