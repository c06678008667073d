// Hello, JavaScript: top-level await works, and the last value is the result.
const os = require("os");
console.log(`Node.js ${process.version} on ${os.platform()}`);
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
await wait(100);
console.error("this line goes to stderr");
({ answer: 6 * 7 });
