import requests

response = requests.get('https://api.example.com/greeting', timeout=5)
print(response.json()['text'])
