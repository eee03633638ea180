const URL = 'https://jsonplaceholder.typicode.com/posts';

// TODO: read TITLE, BODY and USER_ID from process.env (userId is sent as a number).
// TODO: send POST URL with Content-Type: application/json and JSON.stringify({ title, body, userId }).
// TODO: 201 → print the id from the JSON response, alone, and exit with code 0.
// TODO: 503, 429 or a network error → try again, 3 attempts in all; between attempts wait
//       Retry-After seconds when the reply has that header, otherwise at least 200 ms.
// TODO: any other status, or the last attempt failed → console.error(`Failed to create post: ${status}`)
//       and exit with code 1 (after network errors only: one line on stderr).
