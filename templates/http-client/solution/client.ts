const response = await fetch('https://api.example.com/greeting');
const { text } = (await response.json()) as { text: string };
console.log(text);
