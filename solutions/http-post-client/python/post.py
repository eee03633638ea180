import os
import sys
import time

import requests

URL = 'https://jsonplaceholder.typicode.com/posts'
ATTEMPTS = 3
RETRIED = {429, 503}
MIN_WAIT = 0.2  # seconds between attempts, unless Retry-After says more


def wait_before_retry(response):
    """Seconds to wait after `response` (None after a network error): Retry-After, or 200 ms."""
    if response is not None:
        retry_after = response.headers.get('Retry-After', '')
        if retry_after.isdigit():
            return max(int(retry_after), MIN_WAIT)
    return MIN_WAIT


def main():
    post = {'title': os.environ['TITLE'], 'body': os.environ['BODY'], 'userId': int(os.environ['USER_ID'])}
    failure = None
    for attempt in range(1, ATTEMPTS + 1):
        response = None
        try:
            # json= sends the body as JSON, with Content-Type: application/json.
            response = requests.post(URL, json=post, timeout=5)
        except requests.RequestException as error:
            failure = type(error).__name__
        else:
            if response.status_code == 201:
                print(response.json()['id'])
                return 0
            failure = str(response.status_code)
            if response.status_code not in RETRIED:
                break
        if attempt < ATTEMPTS:
            print(f'Attempt {attempt} failed ({failure}); trying again', file=sys.stderr)
            time.sleep(wait_before_retry(response))
    print(f'Failed to create post: {failure}', file=sys.stderr)
    return 1


if __name__ == '__main__':
    sys.exit(main())
