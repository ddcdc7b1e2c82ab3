// Upload with progress (XMLHttpRequest: fetch has no upload progress) to a Convex upload URL, and
// download through the access-checked HTTP route (D15) with the Convex JWT.
import { convexSiteUrl } from "../../lib/convex";
import { fetchConvexToken } from "../../lib/auth/convexToken";

export function uploadWithProgress(url: string, file: File, onProgress: (fraction: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        try {
          resolve((JSON.parse(request.responseText) as { storageId: string }).storageId);
        } catch (error) {
          reject(error);
        }
      } else reject(new Error(`Upload failed (HTTP ${request.status}).`));
    };
    request.onerror = () => reject(new Error("Upload failed: the server cannot be reached."));
    request.send(file);
  });
}

export async function downloadDocument(documentId: string, fallbackName: string): Promise<void> {
  const token = await fetchConvexToken();
  const response = await fetch(`${convexSiteUrl}/documents/download?id=${encodeURIComponent(documentId)}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `HTTP ${response.status}`);
  }
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
