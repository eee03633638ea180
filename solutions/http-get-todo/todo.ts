const URL = 'https://jsonplaceholder.typicode.com/todos/1';

try {
  const response = await fetch(URL);
  if (response.status === 200) {
    const todo: unknown = await response.json();
    console.log(JSON.stringify(todo, null, 2));
  } else {
    console.log('Failed to get data');
  }
} catch {
  // A network error, or a body that is not JSON.
  console.log('Failed to get data');
}
