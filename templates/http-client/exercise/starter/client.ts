// TODO: fetch https://api.example.com/greeting and print the "text" of the JSON it returns.
const response = await fetch('https://api.example.com/greeting');
console.log(response.status);
