import requests

URL = 'https://jsonplaceholder.typicode.com/todos/1'

# TODO: send GET URL: requests.get(URL, timeout=5).
# TODO: if the status is 200 and the body is JSON, print it (print(response.json()) or json.dumps).
# TODO: otherwise (another status, a network error, a body that is not JSON) print "Failed to get data".
