const URL = 'https://jsonplaceholder.typicode.com/todos/1';

// TODO: send GET URL (fetch works in Node 20+).
// TODO: if the status is 200 and the body is JSON, print the JSON (console.log(JSON.stringify(...))).
// TODO: otherwise (another status, a network error, a body that is not JSON) print "Failed to get data".
