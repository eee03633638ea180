import os
import sys

import requests

URL = 'https://jsonplaceholder.typicode.com/posts'

# TODO: read TITLE, BODY and USER_ID from os.environ (userId is sent as a number: int(...)).
# TODO: send POST URL with the post as JSON: requests.post(URL, json=post, timeout=5).
# TODO: 201 -> print the id from the JSON response, alone, and exit with code 0.
# TODO: 503, 429 or a network error (requests.RequestException) -> try again, 3 attempts in all;
#       between attempts time.sleep() the seconds of Retry-After when the reply has that header,
#       otherwise at least 0.2 s.
# TODO: any other status, or the last attempt failed -> print(f'Failed to create post: {status}',
#       file=sys.stderr) and sys.exit(1) (after network errors: one line, not a traceback).
