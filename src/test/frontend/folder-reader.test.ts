import { describe, expect, it } from 'vitest';
import { filesOf } from '../../main/frontend/folder-reader';

/** A dropped entry as the browser hands it over: files, and folders read in batches (as Chromium gives 100 at a time). */
function file(name: string): FileSystemFileEntry {
  return { isFile: true, isDirectory: false, name, file: (ok: (f: File) => void) => ok(new File([name], name)) } as unknown as FileSystemFileEntry;
}

function folder(name: string, children: FileSystemEntry[], batch = 2): FileSystemDirectoryEntry {
  return {
    isFile: false, isDirectory: true, name,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok: (entries: FileSystemEntry[]) => void) => {
          ok(children.slice(at, at + batch));
          at += batch;
        },
      };
    },
  } as unknown as FileSystemDirectoryEntry;
}

describe('a dropped folder', () => {
  it('gives every file in it, nested folders included, however many batches the browser reads them in', async () => {
    const cd = folder('CD', [file('DICOMDIR'), folder('IMAGES', [file('IM1'), file('IM2'), file('IM3')]), file('README.TXT')]);
    const files = await filesOf(cd);
    expect(files.map((f) => f.name)).toEqual(['DICOMDIR', 'IM1', 'IM2', 'IM3', 'README.TXT']);
  });

  it('gives a single dropped file as it is', async () => {
    expect((await filesOf(file('photo.jpg'))).map((f) => f.name)).toEqual(['photo.jpg']);
  });

  it('fails when the browser cannot read the folder, rather than sending part of it silently', async () => {
    const broken = {
      isFile: false, isDirectory: true, name: 'gone',
      createReader: () => ({ readEntries: (_ok: unknown, fail: (e: Error) => void) => fail(new Error('NotFoundError')) }),
    } as unknown as FileSystemDirectoryEntry;
    await expect(filesOf(broken)).rejects.toThrow('NotFoundError');
  });
});
