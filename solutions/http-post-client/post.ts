const URL = 'https://jsonplaceholder.typicode.com/posts';
const ATTEMPTS = 3;
const RETRYABLE = new Set([429, 503]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After in seconds (the only form this API sends), or 200 ms when there is none. */
function waitBefore(response: Response | undefined): number {
  const seconds = Number(response?.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 200;
}

async function main(): Promise<void> {
  const payload = JSON.stringify({ title: process.env.TITLE, body: process.env.BODY, userId: Number(process.env.USER_ID) });
  let failure = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let response: Response | undefined;
    try {
      response = await fetch(URL, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: payload });
    } catch (error) {
      failure = (error as Error).message;
    }
    if (response?.status === 201) {
      const post = (await response.json()) as { id: number };
      console.log(post.id);
      return;
    }
    if (response) {
      failure = String(response.status);
      if (!RETRYABLE.has(response.status)) break;
    }
    if (attempt < ATTEMPTS) await sleep(waitBefore(response));
  }
  console.error(`Failed to create post: ${failure}`);
  process.exitCode = 1;
}

await main();
