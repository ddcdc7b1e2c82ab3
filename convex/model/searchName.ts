// Issue 5 §8: the text staff search on — first and last name, lower-cased, accents folded, so
// "José Núñez" is found by "jose nunez".
export function foldForSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

export function searchNameFor(firstName: string, lastName: string): string {
  return foldForSearch(`${firstName} ${lastName}`);
}
