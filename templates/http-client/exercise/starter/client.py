import requests

# TODO: GET https://api.example.com/greeting (requests.get(url, timeout=5)) and print the "text"
# of the JSON it returns, and nothing else.
response = requests.get('https://api.example.com/greeting', timeout=5)
print(response.status_code)
